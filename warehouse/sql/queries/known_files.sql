-- what the last run saw of each file: a file whose size and mtime still match is skipped without reading
select path, bytes, mtime_ns, file_sha256, problem from inbox_files;
