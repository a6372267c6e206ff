select source_file, stage, reason, detail, run_id, quarantined_at
from quarantine
order by quarantined_at desc, source_file
limit 1000;
