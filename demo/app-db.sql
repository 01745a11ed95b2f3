-- A sample app database in the shape of seed 002 (HabitBot), for `make demo` and tests.
-- Deliberately broken the way production breaks:
--   * alembic_version is at 006_add_tier while demo/alembic/versions/ goes up to 007_notifications,
--     so users.notifications_enabled is missing (incident 14);
--   * a few payments are stuck in `pending`, some for longer than 15 minutes (incident 17);
--   * payment 3 was credited twice (two balance transactions; incident 22).

CREATE TABLE users (
    id          bigserial PRIMARY KEY,
    telegram_id bigint NOT NULL UNIQUE,
    username    text,
    balance     numeric(12,2) NOT NULL DEFAULT 0,
    tier        varchar(20) NOT NULL DEFAULT 'free',
    timezone    text NOT NULL DEFAULT 'UTC',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payments (
    id                  bigserial PRIMARY KEY,
    user_id             bigint NOT NULL REFERENCES users(id),
    amount              numeric(12,2) NOT NULL,
    currency            varchar(3) NOT NULL DEFAULT 'RUB',
    payment_type        varchar(32) NOT NULL,
    provider            varchar(32) NOT NULL,
    provider_payment_id varchar(64),
    status              varchar(16) NOT NULL DEFAULT 'pending',
    created_at          timestamptz NOT NULL DEFAULT now(),
    completed_at        timestamptz
);
CREATE INDEX payments_status_created ON payments (status, created_at);
CREATE INDEX payments_provider_payment_id ON payments (provider_payment_id);

CREATE TABLE balance_transactions (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users(id),
    amount     numeric(12,2) NOT NULL,
    type       varchar(32) NOT NULL,
    payment_id bigint REFERENCES payments(id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subscriptions (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users(id),
    tier       varchar(20) NOT NULL,
    payment_id bigint REFERENCES payments(id),
    starts_at  timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

CREATE TABLE alembic_version (
    version_num varchar(32) NOT NULL PRIMARY KEY
);
INSERT INTO alembic_version VALUES ('006_add_tier');

-- APScheduler's SQLAlchemyJobStore table.
CREATE TABLE apscheduler_jobs (
    id            varchar(191) PRIMARY KEY,
    next_run_time double precision,
    job_state     bytea NOT NULL
);
CREATE INDEX ix_apscheduler_jobs_next_run_time ON apscheduler_jobs (next_run_time);
INSERT INTO apscheduler_jobs VALUES
    ('habit_reminders', extract(epoch FROM now() + interval '2 minutes'), '\x80049500'),
    ('subscription_expiry', extract(epoch FROM now() + interval '1 hour'), '\x80049500'),
    ('trial_notifications', extract(epoch FROM now() - interval '3 hours'), '\x80049500');

INSERT INTO users (telegram_id, username, balance, tier) VALUES
    (100001, 'anna', 150.00, 'free'),
    (100002, 'boris', 0, 'free'),
    (100003, 'vera', 990.00, 'premium'),
    (100004, 'gleb', 20.00, 'free');

INSERT INTO payments (user_id, amount, currency, payment_type, provider, provider_payment_id, status, created_at, completed_at) VALUES
    (1, 100.00, 'RUB', 'balance_topup', 'yookassa',  '2d8f1c3a-000f-5000-9000-1a2b3c4d5e01', 'succeeded', now() - interval '3 days', now() - interval '3 days'),
    (3, 299.00, 'RUB', 'subscription',  'yookassa',  '2d8f1c3a-000f-5000-9000-1a2b3c4d5e02', 'succeeded', now() - interval '2 days', now() - interval '2 days'),
    (3, 500.00, 'RUB', 'balance_topup', 'cryptobot', 'CB-771203', 'succeeded', now() - interval '1 day', now() - interval '1 day'),
    (2, 299.00, 'RUB', 'subscription',  'yookassa',  '2d8f1c3a-000f-5000-9000-1a2b3c4d5e04', 'pending', now() - interval '2 hours', NULL),
    (4, 250.00, 'RUB', 'balance_topup', 'yookassa',  '2d8f1c3a-000f-5000-9000-1a2b3c4d5e05', 'pending', now() - interval '40 minutes', NULL),
    (1, 5.00,   'USD', 'balance_topup', 'cryptobot', 'CB-771209', 'pending', now() - interval '25 minutes', NULL),
    (2, 100.00, 'RUB', 'balance_topup', 'yookassa',  '2d8f1c3a-000f-5000-9000-1a2b3c4d5e07', 'pending', now() - interval '3 minutes', NULL),
    (4, 300.00, 'RUB', 'balance_topup', 'yookassa',  NULL, 'canceled', now() - interval '5 hours', NULL);

INSERT INTO balance_transactions (user_id, amount, type, payment_id, created_at) VALUES
    (1, 100.00, 'topup', 1, now() - interval '3 days'),
    (3, 500.00, 'topup', 3, now() - interval '1 day'),
    (3, 500.00, 'topup', 3, now() - interval '1 day' + interval '4 seconds');  -- the double credit

INSERT INTO subscriptions (user_id, tier, payment_id, starts_at, expires_at) VALUES
    (3, 'premium', 2, now() - interval '2 days', now() + interval '28 days');
