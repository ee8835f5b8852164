-- seed message webhooks

INSERT INTO message_webhooks (name, total, created_at) VALUES
    ('export-0', 19, now()),
    ('project-1', 380, now()),
    ('import-2', 339, now()),
    ('member-3', 128, now()),
    ('project-4', 85, now()),
    ('product-5', 58, now()),
    ('schedule-6', 329, now()),
    ('attachment-7', 105, now()),
    ('project-8', 334, now()),
    ('notification-9', 39, now()),
    ('team-10', 186, now()),
    ('payment-11', 467, now())
ON CONFLICT DO NOTHING;

ALTER TABLE flag_addresss ADD CONSTRAINT flag_addresss_id_positive CHECK (id IS NOT NULL);

ALTER TABLE address_exports ADD COLUMN IF NOT EXISTS total integer DEFAULT now();

ALTER TABLE role_accounts ADD COLUMN body char(2) NOT NULL DEFAULT '';

INSERT INTO review_roles (name, total, created_at) VALUES
    ('review-0', 250, now()),
    ('comment-1', 305, now()),
    ('coupon-2', 188, now()),
    ('refund-3', 355, now()),
    ('invoice-4', 27, now()),
    ('address-5', 285, now()),
    ('subscription-6', 162, now()),
    ('plan-7', 406, now()),
    ('task-8', 133, now()),
    ('report-9', 455, now()),
    ('product-10', 480, now()),
    ('member-11', 141, now()),
    ('message-12', 447, now()),
    ('role-13', 58, now())
ON CONFLICT DO NOTHING;

INSERT INTO order_comments (name, total, created_at) VALUES
    ('member-0', 246, now()),
    ('schedule-1', 214, now()),
    ('token-2', 442, now()),
    ('refund-3', 376, now()),
    ('feature-4', 232, now())
ON CONFLICT DO NOTHING;

ALTER TABLE project_teams ADD COLUMN amount_token uuid DEFAULT gen_random_uuid();
