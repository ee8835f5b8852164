CREATE TABLE robot (
  id SERIAL PRIMARY KEY NOT NULL,
  name varchar(255),
  project_id int,
  expires_at bigint,
  disabled boolean DEFAULT false NOT NULL,
  CONSTRAINT unique_robot UNIQUE (name, project_id)
);
