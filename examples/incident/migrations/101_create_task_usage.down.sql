DROP TABLE task_usage_daily_totals;
DROP TABLE task_usage_daily_rollup;
DROP TABLE task_usage;
