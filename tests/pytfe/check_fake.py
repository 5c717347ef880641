"""Honesty check: drive the fake HCP Terraform API with HashiCorp's own SDK.

Usage: TFE_ADDRESS=http://127.0.0.1:PORT TFE_TOKEN=... python check_fake.py

Expects the fake to be seeded with ``Seed::with_many_workspaces(n)`` for some
n > 20 (orgs ``acme``, ``globex`` and ``big``).  Every check goes through
pytfe 1.5.0, so whatever the SDK parses from the fake it would also have to
parse from app.terraform.io.  Prints one line per check and a summary
("N passed, M failed"); exits non-zero on any failure.
"""

from __future__ import annotations

import os
import sys
import traceback

from pytfe import TFEClient, TFEConfig
from pytfe.errors import AuthError, NotFound, TFEError
from pytfe.models import (
    CategoryType,
    Project,
    ProjectListOptions,
    VariableCreateOptions,
    VariableSetApplyToProjectsOptions,
    VariableSetApplyToWorkspacesOptions,
    VariableSetCreateOptions,
    VariableSetIncludeOpt,
    VariableSetReadOptions,
    VariableSetRemoveFromProjectsOptions,
    VariableSetRemoveFromWorkspacesOptions,
    VariableSetUpdateOptions,
    VariableSetVariableCreateOptions,
    VariableSetVariableUpdateOptions,
    VariableUpdateOptions,
    Workspace,
    WorkspaceIncludeOpt,
    WorkspaceListOptions,
    WorkspaceReadOptions,
)

client = TFEClient()
ctx: dict = {}
results: list[tuple[str, str | None]] = []


def check(fn):
    """Run ``fn`` now and record its outcome."""
    try:
        fn()
        results.append((fn.__name__, None))
        print(f"ok      {fn.__name__}", flush=True)
    except Exception as e:  # noqa: BLE001 - report everything
        detail = f"{type(e).__name__}: {e}"
        results.append((fn.__name__, detail))
        print(f"FAILED  {fn.__name__}: {detail}", flush=True)
        traceback.print_exc(limit=3)
    return fn


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


@check
def account_read_current():
    me = client.users.read_current()
    expect(me.id.startswith("user-"), me.id)
    expect(me.username == "alice", me.username)
    expect(me.is_service_account is False, me.is_service_account)


@check
def wrong_token_is_auth_error():
    bad = TFEClient(TFEConfig(address=os.environ["TFE_ADDRESS"], token="wrong"))
    try:
        bad.users.read_current()
    except AuthError as e:
        expect(e.status == 401, e.status)
        return
    raise AssertionError("no AuthError")


@check
def organizations_list_and_read():
    orgs = [o.name for o in client.organizations.list()]
    expect(orgs == ["acme", "globex", "big"], orgs)
    acme = client.organizations.read("acme")
    # (pytfe 1.5.0 has no alias for "external-id", so it stays None.)
    expect(acme.id == "acme" and acme.name == "acme", acme)
    expect(acme.default_execution_mode == "remote", acme.default_execution_mode)


@check
def unknown_org_is_not_found():
    try:
        client.organizations.read("no-such-org")
    except NotFound as e:
        expect(e.status == 404, e.status)
        return
    raise AssertionError("no NotFound")


@check
def projects_list():
    projects = list(client.projects.list("acme"))
    names = sorted(p.name for p in projects)
    expect(names == ["Default Project", "data", "platform"], names)
    for p in projects:
        expect(p.id.startswith("prj-") and len(p.id) == 20, p.id)
        expect(p.organization is not None and p.organization.id == "acme", p.organization)
    ctx["projects"] = {p.name: p for p in projects}
    only = list(client.projects.list("acme", ProjectListOptions(name="platform")))
    expect([p.name for p in only] == ["platform"], only)
    expect(client.projects.read(ctx["projects"]["data"].id).workspace_count == 1, "count")


@check
def workspaces_list_pages_over_20():
    seen = list(client.workspaces.list("big", WorkspaceListOptions(page_size=20)))
    names = [w.name for w in seen]
    expect(len(names) > 20, len(names))
    expect(names == sorted(names) and len(set(names)) == len(names), names[:5])
    expect(all(w.id.startswith("ws-") for w in seen), "ids")
    default = list(client.workspaces.list("big"))
    expect(len(default) == len(seen), (len(default), len(seen)))


@check
def workspaces_list_filtered_by_project():
    prj = ctx["projects"]["platform"]
    wss = list(client.workspaces.list("acme", WorkspaceListOptions(project_id=prj.id)))
    expect(sorted(w.name for w in wss) == ["dns", "edge", "network"], wss)
    found = list(client.workspaces.list("acme", WorkspaceListOptions(search="ware")))
    expect([w.name for w in found] == ["warehouse"], found)


@check
def workspace_read_by_name_and_id():
    ws = client.workspaces.read("network", organization="acme")
    expect(ws.name == "network" and ws.id.startswith("ws-"), ws)
    expect(ws.permissions.can_update_variable, ws.permissions)
    expect(ws.project is not None and ws.project.id == ctx["projects"]["platform"].id, ws.project)
    by_id = client.workspaces.read_by_id(ws.id)
    expect(by_id.name == "network", by_id.name)
    with_prj = client.workspaces.read_with_options(
        "network",
        WorkspaceReadOptions(include=[WorkspaceIncludeOpt.ORGANIZATION]),
        organization="acme",
    )
    expect(with_prj.organization is not None and with_prj.organization.id == "acme", with_prj.organization)
    ctx["network"] = ws
    ctx["edge"] = client.workspaces.read("edge", organization="acme")


@check
def workspace_variables_crud():
    ws = ctx["network"]
    vs = {v.key: v for v in client.variables.list(ws.id)}
    expect(set(vs) == {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "region"}, vs)
    expect(vs["AWS_SECRET_ACCESS_KEY"].value is None and vs["AWS_SECRET_ACCESS_KEY"].sensitive, "sensitive")
    expect(vs["region"].category == CategoryType.TERRAFORM, vs["region"].category)
    created = client.variables.create(
        ws.id,
        VariableCreateOptions(key="TFC_AWS_PROVIDER_AUTH", value="true", category=CategoryType.ENV),
    )
    expect(created.id.startswith("var-") and created.value == "true", created)
    try:
        client.variables.create(
            ws.id,
            VariableCreateOptions(key="TFC_AWS_PROVIDER_AUTH", value="x", category=CategoryType.ENV),
        )
        raise AssertionError("duplicate accepted")
    except TFEError as e:
        expect(e.status == 422 and "already been taken" in str(e), (e.status, str(e)))
    upd = client.variables.update(ws.id, created.id, VariableUpdateOptions(value="false"))
    # (pytfe's Variable model drops "version-id", so it cannot be compared.)
    expect(upd.value == "false" and upd.id == created.id, upd)
    expect(client.variables.read(ws.id, created.id).value == "false", "read")
    client.variables.delete(ws.id, vs["AWS_ACCESS_KEY_ID"].id)
    client.variables.delete(ws.id, created.id)
    left = {v.key for v in client.variables.list(ws.id)}
    expect(left == {"AWS_SECRET_ACCESS_KEY", "region"}, left)


@check
def variable_sets_list():
    sets = list(client.variable_sets.list("acme"))
    expect([s.name for s in sets] == ["legacy-aws-keys"], sets)
    expect(len(sets[0].workspaces) == 1 and len(sets[0].vars) == 2, sets[0])
    dns = client.workspaces.read("dns", organization="acme")
    expect([s.name for s in client.variable_sets.list_for_workspace(dns.id)] == ["legacy-aws-keys"], "ws sets")


@check
def variable_set_lifecycle():
    vs = client.variable_sets.create(
        "acme", VariableSetCreateOptions(name="aws-oidc", description="dynamic creds", global_=False)
    )
    expect(vs.id.startswith("varset-") and vs.name == "aws-oidc" and vs.global_ is False, vs)
    ctx["varset"] = vs
    read = client.variable_sets.read(vs.id, VariableSetReadOptions(include=[VariableSetIncludeOpt.VARS]))
    expect(read.description == "dynamic creds", read)
    upd = client.variable_sets.update(vs.id, VariableSetUpdateOptions(description="OIDC"))
    expect(upd.description == "OIDC" and upd.name == "aws-oidc", upd)
    try:
        client.variable_sets.create("acme", VariableSetCreateOptions(name="aws-oidc", global_=False))
        raise AssertionError("duplicate name accepted")
    except TFEError as e:
        expect(e.status == 422, e.status)


@check
def variable_set_variables():
    vs = ctx["varset"]
    a = client.variable_set_variables.create(
        vs.id,
        VariableSetVariableCreateOptions(key="TFC_AWS_PROVIDER_AUTH", value="true", category=CategoryType.ENV),
    )
    b = client.variable_set_variables.create(
        vs.id,
        VariableSetVariableCreateOptions(
            key="TFC_AWS_RUN_ROLE_ARN", value="arn:aws:iam::123456789012:role/x", category=CategoryType.ENV
        ),
    )
    expect(a.id.startswith("var-") and a.variable_set and a.variable_set.id == vs.id, a)
    keys = sorted(v.key for v in client.variable_set_variables.list(vs.id))
    expect(keys == ["TFC_AWS_PROVIDER_AUTH", "TFC_AWS_RUN_ROLE_ARN"], keys)
    u = client.variable_set_variables.update(
        vs.id, b.id, VariableSetVariableUpdateOptions(value="arn:aws:iam::123456789012:role/y")
    )
    expect(u.value.endswith("role/y"), u)
    expect(client.variable_set_variables.read(vs.id, b.id).key == "TFC_AWS_RUN_ROLE_ARN", "read")
    client.variable_set_variables.delete(vs.id, b.id)
    keys = [v.key for v in client.variable_set_variables.list(vs.id)]
    expect(keys == ["TFC_AWS_PROVIDER_AUTH"], keys)
    read = client.variable_sets.read(vs.id, VariableSetReadOptions(include=[VariableSetIncludeOpt.VARS]))
    expect([v.key for v in read.vars] == ["TFC_AWS_PROVIDER_AUTH"], read.vars)


@check
def variable_set_apply_and_remove():
    vs = ctx["varset"]
    edge = ctx["edge"]
    ws_ref = Workspace.model_construct(id=edge.id)
    client.variable_sets.apply_to_workspaces(vs.id, VariableSetApplyToWorkspacesOptions(workspaces=[ws_ref]))
    names = [s.name for s in client.variable_sets.list_for_workspace(edge.id)]
    expect("aws-oidc" in names, names)
    client.variable_sets.remove_from_workspaces(vs.id, VariableSetRemoveFromWorkspacesOptions(workspaces=[ws_ref]))
    names = [s.name for s in client.variable_sets.list_for_workspace(edge.id)]
    expect("aws-oidc" not in names, names)
    prj = ctx["projects"]["data"]
    prj_ref = Project.model_construct(id=prj.id)
    client.variable_sets.apply_to_projects(vs.id, VariableSetApplyToProjectsOptions(projects=[prj_ref]))
    expect([s.name for s in client.variable_sets.list_for_project(prj.id)] == ["aws-oidc"], "project sets")
    wh = client.workspaces.read("warehouse", organization="acme")
    expect("aws-oidc" in [s.name for s in client.variable_sets.list_for_workspace(wh.id)], "via project")
    client.variable_sets.remove_from_projects(vs.id, VariableSetRemoveFromProjectsOptions(projects=[prj_ref]))
    expect(list(client.variable_sets.list_for_project(prj.id)) == [], "removed")


@check
def variable_set_delete():
    vs = ctx["varset"]
    client.variable_sets.delete(vs.id)
    try:
        client.variable_sets.read(vs.id)
    except NotFound:
        return
    raise AssertionError("still readable")


@check
def burst_survives_rate_limit():
    # 45 back-to-back reads exceed 30 req/s; pytfe must ride out the 429s.
    for _ in range(45):
        client.users.read_current()


failed = [r for r in results if r[1]]
print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
