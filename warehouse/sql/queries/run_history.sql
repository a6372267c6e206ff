select articles_extracted from runs where articles_extracted > 0 order by started_at desc limit 10;
