select
    run_id, started_at, files_seen, files_skipped, documents_read,
    articles_loaded, records_quarantined, boilerplate_lines, round(seconds_total, 2) as seconds_total
from runs
order by started_at;
