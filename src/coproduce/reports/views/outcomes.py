"""outcomes pages"""
