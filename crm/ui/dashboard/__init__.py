"""The Dashboard page: the charts of the community's health, and the PDF report."""
