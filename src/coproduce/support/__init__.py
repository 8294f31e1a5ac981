"""Personal support: support plans, the outcome wheel, the service directory and referrals."""
