select * from source_quality
order by share_quarantined desc, share_no_date desc, articles desc
limit 25;
