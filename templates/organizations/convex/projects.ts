// Example of organization-scoped data: each project belongs to one organization, and only its
// active members see it (convex/lib/organizations.ts). Copy this pattern for your own tables:
// store the WorkOS organization id on every row, read through an index on it, and check that
// a row you are given belongs to the caller's organization before changing it.
import { ConvexError, v } from "convex/values";
import { orgMutation, orgQuery } from "./lib/organizations";

/** The projects of the session's organization, and whether the caller may change them. */
export const list = orgQuery({
  permission: "projects:read",
  args: {},
  handler: async (ctx) => {
    const projects = await ctx.db
      .query("projects")
      .withIndex("by_organization", (q) => q.eq("workosOrganizationId", ctx.organizationId))
      .order("desc")
      .take(100);
    return {
      organizationId: ctx.organizationId,
      canWrite: ctx.can("projects:write"),
      projects: projects.map((p) => ({ _id: p._id, name: p.name, createdBy: p.createdBy, _creationTime: p._creationTime })),
    };
  },
});

export const create = orgMutation({
  permission: "projects:write",
  args: { name: v.string() },
  handler: async (ctx, { name }) => {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 100) {
      throw new ConvexError({ code: "INVALID", message: "A project name has 1 to 100 characters." });
    }
    return await ctx.db.insert("projects", {
      workosOrganizationId: ctx.organizationId,
      name: trimmed,
      createdBy: ctx.userId,
    });
  },
});

export const remove = orgMutation({
  permission: "projects:write",
  args: { id: v.id("projects") },
  handler: async (ctx, { id }) => {
    const project = await ctx.db.get(id);
    // Another organization's row is answered as missing: its id tells the caller nothing.
    if (project === null || project.workosOrganizationId !== ctx.organizationId) {
      throw new ConvexError({ code: "NOT_FOUND", message: "No such project in this organization." });
    }
    await ctx.db.delete(id);
  },
});
