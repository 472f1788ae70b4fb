"""The demo county (`guanjia load-demo`, `guanjia demo`): a synthetic county after seed 000 with one
community in full detail after seed 003. Importing this package does not touch the database; the
loader lives in `guanjia.demo.loader`."""

from guanjia.demo.accounts import ACCOUNTS, PASSWORD, USERNAMES, DemoAccount, accounts_table

__all__ = ["ACCOUNTS", "PASSWORD", "USERNAMES", "DemoAccount", "accounts_table"]
