using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Collect.Core.Branding;
using Collect.Web.Auth;

namespace Collect.Web.Api;

/// <summary>Brands (seed 002), their logos, and the host's brand for the UI before and after login.</summary>
internal static class BrandsApi
{
    public static IEndpointRouteBuilder MapBrandsApi(this IEndpointRouteBuilder app)
    {
        var brands = app.MapGroup("/api/system/brands").WithTags("Brands").RequireAuthorization();
        brands.MapGet("", async (HttpContext http, BrandService service, CancellationToken ct) =>
                TypedResults.Ok(new Envelope<IReadOnlyList<JsonObject>>((await service.ListAsync(HttpActor.Current(http), ct)).Select(Json).ToList())))
            .RequirePermission("system.brands.index").WithSummary("Brands you own (the admin sees all)");
        brands.MapPost("", async (JsonObject body, HttpContext http, BrandService service, CancellationToken ct) =>
            {
                var json = new JsonInput(body);
                var domain = json.String("domain");
                if (!json.IsValid) return (IResult)ApiErrors.Invalid(json.Errors);
                return ApiErrors.From(await service.CreateAsync(HttpActor.Current(http), domain, ct), Json);
            })
            .RequirePermission("system.brands.store").WithSummary("Add a brand for a domain");
        brands.MapGet("/{id:int}", async (int id, HttpContext http, BrandService service, CancellationToken ct) =>
                ApiErrors.From(await service.GetAsync(HttpActor.Current(http), id, ct), Json))
            .RequirePermission("system.brands.show").WithSummary("One brand with its language data and logos");
        brands.MapPut("/{id:int}", async (int id, JsonObject body, HttpContext http, BrandService service, CancellationToken ct) =>
                ApiErrors.From(await service.UpdateAsync(HttpActor.Current(http), id, body, ct), Json))
            .RequirePermission("system.brands.update").WithSummary("Change a brand's texts, colours, theme options, owner or language overrides");
        brands.MapDelete("/{id:int}", async (int id, HttpContext http, BrandService service, CancellationToken ct) =>
                ApiErrors.Deleted(await service.DeleteAsync(HttpActor.Current(http), id, ct)))
            .RequirePermission("system.brands.destroy").WithSummary("Delete a brand (the default brand stays)");
        brands.MapPost("/{brand:int}/logos/store", StoreLogosAsync).RequirePermission("system.brands.logos.store")
            .WithMetadata(new RequestSizeLimitMetadata(4 * 1024 * 1024)).DisableAntiforgery()
            .WithSummary("Upload lightlogo, darklogo and favicon (multipart; images only, checked by content, 512 KB each)");
        brands.MapDelete("/{brand:int}/logos/delete", async (int brand, HttpContext http, BrandService service, CancellationToken ct) =>
            {
                var json = new JsonInput(await RequestBody.OptionalObjectAsync(http, ct));
                var slots = BrandService.LogoSlots.Where(s => json.Bool(s) == true).ToList();
                if (!json.IsValid) return (IResult)ApiErrors.Invalid(json.Errors);
                if (slots.Count == 0) return ApiErrors.Invalid("lightlogo", "Name at least one of lightlogo, darklogo or favicon as true.");
                return ApiErrors.From(await service.DeleteLogosAsync(HttpActor.Current(http), brand, slots, ct), Json);
            })
            .RequirePermission("system.brands.logos.delete").WithSummary("Remove logos (lightlogo, darklogo, favicon as booleans)");

        app.MapGet("/storage/brands/{id:int}/logos/{file}", (int id, string file, HttpContext http, BrandService service) =>
            {
                var path = service.LogoFilePath(id, file);
                if (path is null) return Results.NotFound();
                // Names change with every upload, so a logo never changes under its name.
                http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                var type = Path.GetExtension(file) switch
                {
                    ".png" => "image/png", ".jpg" => "image/jpeg", ".gif" => "image/gif", ".webp" => "image/webp", ".ico" => "image/x-icon", _ => "image/svg+xml",
                };
                if (type == "image/svg+xml") http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
                return Results.File(path, type);
            })
            .AllowAnonymous().WithTags("Brands").WithSummary("A brand's logo file");

        var ui = app.MapGroup("/api/system").WithTags("Brands");
        ui.MapGet("/ui/settings", async (HttpContext http, BrandService service, CancellationToken ct) =>
                TypedResults.Ok(new Envelope<JsonObject>(UiJson(await service.ForHostAsync(http.Request.Host.Host, ct)))))
            .AllowAnonymous().WithSummary("The brand of this host for the UI: title, texts, colours, theme options, logos (no login needed)");
        ui.MapGet("/ui/uiLanguage", async (HttpContext http, BrandService service, CancellationToken ct) =>
                TypedResults.Ok(new Envelope<JsonObject>(new JsonObject { ["en-us"] = Texts((await service.ForHostAsync(http.Request.Host.Host, ct)).Language) })))
            .AllowAnonymous().WithSummary("The UI texts of this host's brand: the language file with the brand's overrides (no login needed)");
        ui.MapGet("/settingsAfterLogin", async (HttpContext http, BrandService service, CancellationToken ct) =>
            {
                var brand = await service.ForHostAsync(http.Request.Host.Host, ct);
                var json = UiJson(brand);
                json["languageData"] = new JsonArray(new JsonObject { ["en-us"] = Texts(brand.Language) });
                json["user"] = new JsonObject { ["id"] = HttpActor.Current(http).UserId, ["username"] = HttpActor.Current(http).UserName };
                return TypedResults.Ok(new Envelope<JsonObject>(json));
            })
            .RequireAuthorization().RequirePermission("system.settingsAfterLogin").WithSummary("The host's brand and texts for a signed-in user");
        ui.MapGet("/ui/version", () => TypedResults.Ok(new Envelope<JsonObject>(new JsonObject
            {
                ["frontend_version"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SystemApi.AppVersion))),
            })))
            .RequireAuthorization().RequirePermission("system.ui.version").WithSummary("The UI's version hash (changes when Collect is updated)");
        return app;
    }

    private sealed class RequestSizeLimitMetadata(long limit) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => limit;
    }

    private static async Task<IResult> StoreLogosAsync(int brand, HttpContext http, BrandService service, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType) return ApiErrors.Invalid("lightlogo", "Send the logos as multipart/form-data.");
        var form = await http.Request.ReadFormAsync(ct);
        foreach (var file in form.Files)
            if (file.Length > BrandService.MaxLogoBytes)
                return TypedResults.Json(new ErrorBody($"The {file.Name} must not be greater than 512 kilobytes.",
                    new Dictionary<string, string[]> { [file.Name] = ["The logo must not be greater than 512 kilobytes."] }), statusCode: StatusCodes.Status413PayloadTooLarge);
        var uploads = form.Files.Select(f => new LogoUpload(f.Name, f.FileName, f.OpenReadStream(), f.Length)).ToList();
        try
        {
            return ApiErrors.From(await service.StoreLogosAsync(HttpActor.Current(http), brand, uploads, ct), Json);
        }
        finally
        {
            foreach (var upload in uploads) await upload.Content.DisposeAsync();
        }
    }

    private static JsonObject Texts(IReadOnlyDictionary<string, string> language) => new(language.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));

    private static JsonObject Logos(BrandView v) => new(v.LogoPaths.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonObject { ["publicPath"] = kv.Value })));

    private static JsonArray Languages() =>
        new(BrandService.AvailableLanguages.Select(l => (JsonNode?)new JsonObject { ["languageName"] = l.Name, ["languageCode"] = l.Code }).ToArray());

    /// <summary>The seed's brand shape.</summary>
    internal static JsonObject Json(BrandView v)
    {
        var json = new JsonObject { ["id"] = v.Brand.Id, ["user_id"] = v.Brand.UserId, ["domain"] = v.Brand.Domain, ["isDefault"] = v.Brand.IsDefault ? 1 : 0 };
        foreach (var (key, value) in v.Settings)
            json[key] = value is JsonValue b && b.TryGetValue<bool>(out var flag) ? flag ? 1 : 0 : value?.DeepClone();
        json["languageData"] = new JsonArray(new JsonObject { ["en-us"] = Texts(v.Language) });
        json["availableLanguages"] = Languages();
        json["defaultColorScheme"] = BrandService.DefaultColorScheme.DeepClone();
        json["logos"] = Logos(v);
        return json;
    }

    /// <summary>What the UI needs of the host's brand, before login too: no owner or internal ids beyond the brand's.</summary>
    private static JsonObject UiJson(BrandView v)
    {
        var json = new JsonObject { ["id"] = v.Brand.Id, ["domain"] = v.Brand.Domain };
        foreach (var (key, value) in v.Settings.Where(kv => kv.Key != "languageOverrides"))
            json[key] = value is JsonValue b && b.TryGetValue<bool>(out var flag) ? flag ? 1 : 0 : value?.DeepClone();
        json["availableLanguages"] = Languages();
        json["defaultColorScheme"] = BrandService.DefaultColorScheme.DeepClone();
        json["logos"] = Logos(v);
        return json;
    }
}
