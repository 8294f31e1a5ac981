"""builder pages"""
