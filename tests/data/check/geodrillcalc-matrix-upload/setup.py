from setuptools import setup

setup(name="geodrillcalc", version="0.4.3-alpha", packages=["geodrillcalc"])
