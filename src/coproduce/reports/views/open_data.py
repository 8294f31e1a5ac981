"""open_data pages"""
