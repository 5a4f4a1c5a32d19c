// Jest `setupFiles` (jest.config.js): runs before every test file. While the run captures for the
// leak scan (HUANJIE_CAPTURE_DIR, set by global-setup.ts), the file's `fetch` records what it sends
// and the errors it is answered; otherwise this does nothing.
import { installFetchCapture } from './capture';

installFetchCapture();
