-- Run once by the postgres image's entrypoint (docker-entrypoint-initdb.d) when the data volume is
-- empty, as POSTGRES_USER. One database per subgraph: a service never reads another's tables.
-- Each service creates its own schema objects with its migrations at start-up.
CREATE DATABASE huanjie_personnel;
CREATE DATABASE huanjie_vetting;
CREATE DATABASE huanjie_elections;
CREATE DATABASE huanjie_complaints;
CREATE DATABASE huanjie_training;
