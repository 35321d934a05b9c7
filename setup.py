"""Maps the repository's top-level folders onto one installed namespace.

The repository keeps the layout its users asked for (pipelines/, detectors/, schemas/);
installed, they are corpusgate.pipelines, corpusgate.detectors and corpusgate.schemas,
so they never clash with other distributions' top-level packages.
"""

from setuptools import find_packages, setup

TOP_LEVEL = ("pipelines", "detectors", "schemas")

setup(
    packages=[
        f"corpusgate.{name}"
        for name in find_packages(include=[f"{top}*" for top in TOP_LEVEL])
    ],
    package_dir={f"corpusgate.{top}": top for top in TOP_LEVEL},
)
