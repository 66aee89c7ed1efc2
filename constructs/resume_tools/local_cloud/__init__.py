"""The local cloud: moto on loopback, stand-ins for API Gateway and CloudFront, the zip served."""
