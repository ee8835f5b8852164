DROP TABLE eventstore.events_old;
