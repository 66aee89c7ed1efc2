"""Visitor counter: the AWS Lambda behind the Cloud Resume API."""
