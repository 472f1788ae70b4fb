from guanjia.settings.base import *  # noqa: F403
