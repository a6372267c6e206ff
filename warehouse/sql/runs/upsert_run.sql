insert or replace into runs by name select * from incoming_runs;
