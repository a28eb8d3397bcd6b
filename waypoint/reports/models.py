"""The files of an MHSDS extract run (the run itself is a `jobs.Job` of kind "mhsds_extract")."""

from django.db import models


class ExtractFile(models.Model):
    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="extract_files")
    name = models.CharField(max_length=60)  # MHS001MPI, ..., or "validation"
    rows = models.PositiveIntegerField(default=0)
    content = models.TextField()

    class Meta:
        ordering = ["job", "pk"]
        constraints = [models.UniqueConstraint(fields=["job", "name"], name="one_file_per_table_per_extract")]

    def __str__(self):
        return f"{self.name} ({self.rows} rows)"
