"""Who may see whose exam results: the person, and those ``StaffProfile.visible_to`` lets read their record."""

from organisation.models import StaffProfile


def can_read_results_of(viewer, owner_id: int) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == owner_id or viewer.is_superuser:
        return True
    return StaffProfile.objects.visible_to(viewer).filter(user_id=owner_id).exists()
