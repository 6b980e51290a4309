"""tap-sdm-job: reads a finalized SDM job (``jobs/<job_id>/export.jsonl``) as Singer records."""
