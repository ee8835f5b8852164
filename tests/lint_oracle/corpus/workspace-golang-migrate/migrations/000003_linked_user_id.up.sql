BEGIN;

ALTER TYPE login_type ADD VALUE 'oidc';

CREATE TABLE IF NOT EXISTS user_links (
	user_id uuid NOT NULL,
	login_type login_type NOT NULL,
	linked_id text DEFAULT ''::text NOT NULL,
	oauth_access_token text DEFAULT ''::text NOT NULL,
	oauth_refresh_token text DEFAULT ''::text NOT NULL,
	oauth_expiry timestamp with time zone DEFAULT '0001-01-01 00:00:00+00'::timestamp with time zone NOT NULL,
	UNIQUE (user_id, login_type)
);

-- the newest key of each user and login type carries the OAuth tokens
INSERT INTO user_links (user_id, login_type, linked_id, oauth_access_token, oauth_refresh_token, oauth_expiry)
SELECT newest.user_id, newest.login_type, '', newest.oauth_access_token, newest.oauth_refresh_token,
       newest.oauth_expiry
  FROM (SELECT row_number() OVER (PARTITION BY user_id, login_type ORDER BY updated_at DESC) AS position,
               api_keys.*
          FROM api_keys) AS newest
 WHERE newest.position = 1 AND newest.login_type != 'password';

ALTER TABLE api_keys RENAME COLUMN login_type TO _login_type;

COMMIT;
