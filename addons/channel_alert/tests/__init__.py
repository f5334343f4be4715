from . import test_alerts, test_batch_jobs
