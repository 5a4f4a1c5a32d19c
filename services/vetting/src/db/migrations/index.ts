import { CreateAuditLog1700000000000 } from '@huanjie/platform';
import { CreateOutboxAndInbox1700000000001 } from '@huanjie/events';
import { CreateReviews1700000002000 } from './1700000002000-create-reviews';

export const migrations = [CreateAuditLog1700000000000, CreateOutboxAndInbox1700000000001, CreateReviews1700000002000];
