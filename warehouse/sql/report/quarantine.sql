select
    source_file,
    stage,
    reason,
    record ->> '$.title' as title,
    detail,
    run_id
from quarantine
order by quarantined_at desc, source_file
limit 1000;
