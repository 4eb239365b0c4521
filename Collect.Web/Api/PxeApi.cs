using System.Text.Json.Nodes;
using Collect.Core.Provisioning;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>The PXE library (profiles, disk layouts, scripts), its tags and the OS list.</summary>
internal static class PxeApi
{
    public static IEndpointRouteBuilder MapPxeApi(this IEndpointRouteBuilder app)
    {
        MapKind(app, "profiles", PxeKinds.Profile, "PXE profiles (OS templates)");
        MapKind(app, "disklayouts", PxeKinds.DiskLayout, "PXE disk layouts");
        MapKind(app, "scripts", PxeKinds.Script, "PXE scripts");

        var profiles = app.MapGroup("/api/pxe/profiles").WithTags("PXE").RequireAuthorization();
        profiles.MapPost("/{pxeProfileId:int}/restore", async (int pxeProfileId, HttpContext http, PxeLibraryService library, CancellationToken ct) =>
                ApiErrors.From(await library.RestoreAsync(HttpActor.Current(http), pxeProfileId, ct), Json))
            .RequirePermission("pxe.profiles.restore").WithSummary("Put a stock profile back to what ships with Collect");
        profiles.MapGet("/{pxeProfileId:int}/clearcache", async (int pxeProfileId, PxeLibraryService library, CancellationToken ct) =>
                (await library.GetAsync(PxeKinds.Profile, pxeProfileId, ct)).IsOk ? (IResult)TypedResults.Ok(new Envelope<string>("ok")) : ApiErrors.NotFound())
            .RequirePermission("pxe.profiles.clearcache").WithSummary("Forget cached OS files (Collect serves from the mirror, so there is nothing to clear)");
        profiles.MapGet("/{pxeProfileId:int}/preview/{serverId:int}", async (int pxeProfileId, int serverId, HttpContext http, ProvisioningService provisioning, CancellationToken ct) =>
                ApiErrors.From(await provisioning.PreviewAsync(HttpActor.Current(http), pxeProfileId, serverId, BaseUrl(http), ct), files => new JsonObject(
                    files.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)new JsonObject { ["output"] = f.Value.Output, ["error"] = f.Value.Error })))))
            .RequirePermission("pxe.profiles.show").WithSummary("The profile's files rendered for a server, without starting anything");

        var tags = app.MapGroup("/api/pxe/tags").WithTags("PXE").RequireAuthorization();
        tags.MapGet("", async (PxeLibraryService library, CancellationToken ct) => TypedResults.Ok(new Envelope<IReadOnlyList<string>>(await library.TagsAsync(ct))))
            .RequirePermission("pxe.tags").WithSummary("Every tag used in the PXE library");
        tags.MapPost("/getPxeProfilesByTags", async (JsonObject body, PxeLibraryService library, CancellationToken ct) =>
            {
                var json = new JsonInput(body);
                var wanted = json.StringList("tags");
                if (!json.IsValid) return (IResult)ApiErrors.Invalid(json.Errors);
                if (wanted is null || wanted.Count == 0) return ApiErrors.Invalid("tags", "The tags field is required.");
                return TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>((await library.ProfilesByTagsAsync(wanted, ct)).Select(Json).ToList()));
            })
            .RequirePermission("pxe.tags.getPxeProfilesByTags").WithSummary("Profiles carrying any of the tags");

        app.MapPost("/api/os/list", async (JsonObject body, PxeLibraryService library, CancellationToken ct) =>
            {
                var json = new JsonInput(body);
                var type = json.String("type");
                if (!json.IsValid) return (IResult)ApiErrors.Invalid(json.Errors);
                if (type is not "pxe") return ApiErrors.Invalid("type", "The type must be pxe.");
                var profiles = (await library.ListAsync(PxeKinds.Profile, ct)).Where(p => !p.Item.IsDisabled);
                return TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>(profiles.Select(p => new JsonObject
                {
                    ["id"] = p.Item.Id, ["name"] = p.Item.Name, ["type"] = "pxe", ["groupname"] = p.Settings["groupname"]?.DeepClone(),
                    ["isRescue"] = ProvisioningService.Bool(p.Settings["isRescue"], false) ? 1 : 0,
                }).ToList()));
            })
            .RequireAuthorization().RequirePermission("os.list").WithTags("PXE").WithSummary("Every installable operating system (for billing integrations)");
        return app;
    }

    private static void MapKind(IEndpointRouteBuilder app, string path, string kind, string label)
    {
        var group = app.MapGroup($"/api/pxe/{path}").WithTags("PXE").RequireAuthorization();
        var permission = $"pxe.{path}";
        group.MapGet("", async (PxeLibraryService library, CancellationToken ct) =>
                TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>((await library.ListAsync(kind, ct)).Select(Json).ToList())))
            .RequirePermission($"{permission}.index").WithSummary($"All {label}");
        group.MapPost("", async (JsonObject body, HttpContext http, PxeLibraryService library, CancellationToken ct) =>
                ApiErrors.From(await library.SaveAsync(HttpActor.Current(http), kind, null, body, ct), Json))
            .RequirePermission($"{permission}.store").WithSummary($"Add one of the {label}");
        group.MapGet("/{id:int}", async (int id, PxeLibraryService library, CancellationToken ct) =>
                (await library.GetAsync(kind, id, ct)) is { IsOk: true } r ? (IResult)TypedResults.Ok(new Envelope<JsonObject>(Json(r.Value!))) : ApiErrors.NotFound())
            .RequirePermission($"{permission}.show").WithSummary($"One of the {label}");
        group.MapPut("/{id:int}", async (int id, JsonObject body, HttpContext http, PxeLibraryService library, CancellationToken ct) =>
                ApiErrors.From(await library.SaveAsync(HttpActor.Current(http), kind, id, body, ct), Json))
            .RequirePermission($"{permission}.update").WithSummary($"Change one of the {label}");
        group.MapDelete("/{id:int}", async (int id, HttpContext http, PxeLibraryService library, CancellationToken ct) =>
                ApiErrors.Deleted(await library.DeleteAsync(HttpActor.Current(http), kind, id, ct)))
            .RequirePermission($"{permission}.destroy").WithSummary($"Delete one of the {label}");
        var idName = kind switch { PxeKinds.Profile => "pxeProfileId", PxeKinds.DiskLayout => "pxeDisklayoutId", _ => "pxeScriptId" };
        group.MapPost($"/{{{idName}:int}}/duplicate", async (HttpContext http, JsonObject body, PxeLibraryService library, CancellationToken ct) =>
            {
                var id = int.Parse((string)http.Request.RouteValues[idName]!, System.Globalization.CultureInfo.InvariantCulture);
                var json = new JsonInput(body);
                var name = json.String("name");
                if (!json.IsValid) return (IResult)ApiErrors.Invalid(json.Errors);
                return ApiErrors.From(await library.DuplicateAsync(HttpActor.Current(http), kind, id, name, ct), Json);
            })
            .RequirePermission($"{permission}.duplicate").WithSummary($"Copy one of the {label} under a new name");
    }

    internal static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";

    /// <summary>The seed's shape: name (osName for profiles), tags, isDisabled, isStockTemplate, internal_key and every stored field.</summary>
    internal static JsonObject Json(PxeItemView v)
    {
        var item = v.Item;
        var json = new JsonObject
        {
            ["id"] = item.Id,
            ["tags"] = new JsonArray(item.Tags.Select(t => (JsonNode?)t).ToArray()),
            [item.Kind == PxeKinds.Profile ? "osName" : "name"] = item.Name,
            ["isDisabled"] = item.IsDisabled ? 1 : 0,
            ["isStockTemplate"] = item.IsStockTemplate ? 1 : 0,
            ["internal_key"] = item.InternalKey,
        };
        foreach (var (key, value) in v.Settings)
            json[key] = value is JsonValue b && b.TryGetValue<bool>(out var flag) ? flag ? 1 : 0 : value?.DeepClone();
        if (item.Kind == PxeKinds.Profile)
        {
            json["disklayouts"] = new JsonArray(v.DiskLayouts.Select(l => (JsonNode?)new JsonObject { ["id"] = l.Id, ["name"] = l.Name }).ToArray());
            json["scripts"] = new JsonArray(v.Scripts.Select(s => (JsonNode?)new JsonObject { ["id"] = s.Id, ["name"] = s.Name }).ToArray());
        }
        json["created_at"] = UsersApi.Timestamp(item.CreatedAt);
        json["updated_at"] = UsersApi.Timestamp(item.UpdatedAt);
        return json;
    }
}
