class CampaignError(ValueError):
    """A request the rules refuse; the message is for the user, in Chinese."""
