"""Named panel operations and what each keeps of the panel's answer."""
