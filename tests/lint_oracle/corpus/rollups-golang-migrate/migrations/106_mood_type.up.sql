CREATE TYPE mood AS ENUM ('happy', 'sad');
ALTER TABLE notes ADD COLUMN mood mood;
