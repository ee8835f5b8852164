DO $$
BEGIN
    IF (SELECT column_name FROM information_schema.columns
         WHERE table_name = 'channels' AND column_name = 'lastrootpostat') IS NULL THEN
        ALTER TABLE channels ADD COLUMN lastrootpostat bigint DEFAULT 0;
        UPDATE channels SET lastrootpostat = lastpostat;
    END IF;
END $$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
                WHERE table_name = 'posts' AND column_name = 'parentid') THEN
        ALTER TABLE posts RENAME COLUMN parentid TO rootid;
    END IF;
END $$;

DO $$
BEGIN
    IF (SELECT character_maximum_length FROM information_schema.columns
         WHERE table_name = 'channels' AND column_name = 'purpose') < 250 THEN
        ALTER TABLE channels ALTER COLUMN purpose TYPE varchar(250);
    END IF;
END $$;

-- an old column some installations never had
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
                WHERE table_name = 'channels' AND column_name = 'extraupdateat') THEN
        ALTER TABLE channels DROP COLUMN extraupdateat;
    END IF;
END $$;
