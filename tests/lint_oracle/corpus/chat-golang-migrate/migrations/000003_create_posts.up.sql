CREATE TABLE IF NOT EXISTS posts (
    id varchar(26) PRIMARY KEY,
    createat bigint,
    userid varchar(26),
    channelid varchar(26),
    parentid varchar(26),
    message varchar(4000),
    type varchar(26),
    props varchar(8000) DEFAULT '{}',
    hashtags varchar(1000)
);

CREATE INDEX IF NOT EXISTS idx_posts_channel_id ON posts (channelid);
