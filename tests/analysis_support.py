"""A comparable summary of a breakpoint analysis, for tests that compare two ways of computing it."""


def summary(an):
    """Breakpoints, every unmerged segment and every exact point: everything a report shows."""
    return (
        [(b.x, sorted(b.causes), b.jumps, b.slopes_before, b.slopes_after, b.at.profiles, b.at.payouts,
          b.at.unique_payouts) for b in an.breakpoints],
        [(p.lo, p.hi, p.forms, p.profile, p.profiles, p.proved, p.unique_payouts, p.causes_lo, p.causes_hi)
         for p in an.segments],
        {x: (pt.profiles, pt.payouts) for x, pt in an.points.items()},
    )
