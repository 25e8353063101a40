def title(name):
    return name.replace("-", " ").title()
