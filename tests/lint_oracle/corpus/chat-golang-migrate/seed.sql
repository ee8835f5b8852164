INSERT INTO users (id, createat, username, email, props, notifyprops, locale)
SELECT lpad(g::text, 26, 'u'), 1600000000000 + g, 'member' || g, 'member' || g || '@example.org',
       '{"theme":"dark"}', '{"email":"true","push":"mention"}', 'en'
  FROM generate_series(1, 80) g;
INSERT INTO channels (id, createat, teamid, type, displayname, name, purpose, lastpostat, totalmsgcount)
SELECT lpad(g::text, 26, 'c'), 1600000000000 + g, lpad((1 + g % 4)::text, 26, 't'), 'O', 'Channel ' || g,
       'channel-' || g, 'talk', 1600000000000 + g * 10, g * 3
  FROM generate_series(1, 40) g;
INSERT INTO posts (id, createat, userid, channelid, parentid, message, type, props)
SELECT lpad(g::text, 26, 'p'), 1600000000000 + g, lpad((1 + g % 80)::text, 26, 'u'), lpad((1 + g % 40)::text, 26, 'c'),
       CASE WHEN g % 5 = 0 THEN lpad((g - 1)::text, 26, 'p') ELSE '' END, 'hello ' || g, '', '{}'
  FROM generate_series(1, 500) g;
