from organisation.errors import ServiceRefusal


class CampaignError(ServiceRefusal, ValueError):
    """A request the rules refuse; the message is for the user, in Chinese."""
