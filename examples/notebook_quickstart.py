# %% [markdown]
# # caseload quick start (Jupyter)
#
# Weighted caseloads, roll-ups, exceedance history and the published health check
# for a synthetic local authority. Open this file in Jupyter (jupytext) or VS Code
# as a notebook, or run it as a script: `python examples/notebook_quickstart.py`.
# Every figure is computed by the C++ core; the Python package hands it DataFrames.

# %%
import caseload

authority = caseload.datasets.sample_authority()  # bundled: 180 workers, 60 weeks of history
authority

# %% [markdown]
# ## The model
# The default scheme cites a source for every number (`docs/default_scheme.md`).

# %%
scheme = caseload.Scheme.default()
model = caseload.Caseload(scheme, workers=authority.workers, cases=authority.cases, as_of=authority.as_of)
model

# %%
loads = model.loads()  # one row per worker
loads.sort_values("utilisation", ascending=False).head(10)

# %% [markdown]
# ## Roll-ups: sum of points over sum of capacity, distributions, fairness

# %%
model.rollup(by="team")[["group", "workers", "cases", "mean_cases_per_fte", "utilisation",
                         "utilisation_p90", "excessive", "gini_utilisation", "unallocated_cases"]]

# %% [markdown]
# ## Why is a worker's figure what it is?

# %%
busiest = loads.sort_values("utilisation", ascending=False)["worker_id"].iloc[0]
breakdown = model.breakdown(busiest)
print(breakdown)
breakdown.lines.head(15)

# %% [markdown]
# ## Before and after: moving a case, without changing the model

# %%
case_id = model.breakdown(busiest).lines["case_id"].iloc[0]
least_loaded = loads[loads["case_holding"]].sort_values("utilisation")["worker_id"].iloc[0]
preview = model.preview_move(case_id, to_worker=least_loaded)
preview.frame[["worker_id", "before_utilisation", "after_utilisation", "before_band", "after_band"]]

# %% [markdown]
# ## Who was over the safe level in the past year, and for how long?

# %%
history = model.exceedance_history(authority.snapshots, min_consecutive=4)
print(history)
history.summary.head(10)

# %% [markdown]
# ## The published health check

# %%
health = model.health_check(snapshots=authority.snapshots, organisation="Sample Authority (synthetic)")
health.save("health_check.html")
health

# %%
try:
    import matplotlib

    matplotlib.use("Agg")
    model.plot_loads().figure.savefig("loads.png", dpi=100)
    print("wrote loads.png")
except caseload.CaseloadError as e:  # matplotlib not installed
    print(e)
