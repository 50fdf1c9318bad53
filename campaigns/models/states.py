"""The states of campaigns and their events, named once; filter through the models' querysets."""

from django.db import models


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准"
    RETURNED = "returned", "已退回"
    CANCELLED = "cancelled", "已取消"


class EventStatus(models.TextChoices):
    PLANNED = "planned", "计划"
    CANCELLED = "cancelled", "已取消"
