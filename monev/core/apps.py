from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "monev.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django_tasks.signals import task_finished, task_started

        from monev.core import logs

        # One log line per background job as it starts and as it ends (with its job id).
        task_started.connect(logs.task_started, dispatch_uid="monev.job.started")
        task_finished.connect(logs.task_finished, dispatch_uid="monev.job.finished")
