using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Collect.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ActivityLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<int>(type: "integer", nullable: true),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false, collation: "C"),
                    ImpersonatorId = table.Column<int>(type: "integer", nullable: true),
                    Ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Endpoint = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true, collation: "C"),
                    Method = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true, collation: "C"),
                    RootType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    RootId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    Description = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ModelChanges = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivityLogs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ApiRequestLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    TokenId = table.Column<int>(type: "integer", nullable: true),
                    Method = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Endpoint = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false, collation: "C"),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    UserAgent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true, collation: "C"),
                    RequestBody = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ResponseBody = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    DurationMs = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiRequestLogs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BackupStorages",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    Provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Configuration = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Retention = table.Column<int>(type: "integer", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    LastBackupDate = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastStatusMessage = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BackupStorages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BackupTasks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    RequestedByUserId = table.Column<int>(type: "integer", nullable: true),
                    ArchiveName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    ArchiveSize = table.Column<long>(type: "bigint", nullable: true),
                    ScriptLog = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    TasksLog = table.Column<string>(type: "text", nullable: false),
                    Warnings = table.Column<int>(type: "integer", nullable: false),
                    Errors = table.Column<int>(type: "integer", nullable: false),
                    Progress = table.Column<int>(type: "integer", nullable: false),
                    Step = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    StoredOn = table.Column<string>(type: "text", nullable: false),
                    Node = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    HeartbeatAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndDate = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BackupTasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Xml = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Files",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OwnerType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, collation: "C"),
                    OwnerId = table.Column<int>(type: "integer", nullable: false),
                    ServerId = table.Column<int>(type: "integer", nullable: true),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    ContentType = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false, collation: "C"),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    StorageName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false, collation: "C"),
                    UploadedByUserId = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Files", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InventoryBlobs",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Data = table.Column<byte[]>(type: "bytea", nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InventoryBlobs", x => x.Hash);
                });

            migrationBuilder.CreateTable(
                name: "InventoryComponents",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ComponentName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    GroupName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    ValueType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    NotDeletable = table.Column<bool>(type: "boolean", nullable: false),
                    CustomFieldIds = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InventoryComponents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InventoryCustomFields",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    AvailableValues = table.Column<string>(type: "text", nullable: false),
                    NotDeletable = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InventoryCustomFields", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InventoryInbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SystemId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false, collation: "C"),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Body = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InventoryInbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LoginAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<int>(type: "integer", nullable: true),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false, collation: "C"),
                    Ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    UserAgent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true, collation: "C"),
                    Outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LoginAttempts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PxeItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    Tags = table.Column<string>(type: "text", nullable: false),
                    IsDisabled = table.Column<bool>(type: "boolean", nullable: false),
                    IsStockTemplate = table.Column<bool>(type: "boolean", nullable: false),
                    InternalKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    Settings = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PxeItems", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Roles",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    Level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, collation: "C"),
                    OwnerUserId = table.Column<int>(type: "integer", nullable: true),
                    NotDeleteable = table.Column<bool>(type: "boolean", nullable: false),
                    NotAssignable = table.Column<bool>(type: "boolean", nullable: false),
                    IsAliasRole = table.Column<bool>(type: "boolean", nullable: false),
                    ServersIndexDisablePermissionChecks = table.Column<bool>(type: "boolean", nullable: false),
                    Permissions = table.Column<string>(type: "text", nullable: false),
                    PermissionSets = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Roles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Systems",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    Type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Fqdn = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    Ipv4Address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    Ipv6Address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    Version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    LastSeen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastHeartbeat = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CustomData = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    SystemKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    SecretHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    SecretHint = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false, collation: "C"),
                    CreatedByUserId = table.Column<int>(type: "integer", nullable: false),
                    OwnerUserId = table.Column<int>(type: "integer", nullable: false),
                    OwnerTreePath = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false, collation: "C"),
                    DeletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Systems", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    RootOwnerId = table.Column<int>(type: "integer", nullable: true),
                    TreePath = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false, collation: "C"),
                    SharedUserId = table.Column<int>(type: "integer", nullable: true),
                    AliasServerIds = table.Column<string>(type: "text", nullable: false),
                    Prefs = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    RoleId = table.Column<int>(type: "integer", nullable: false),
                    AccountStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Timezone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    DatetimeFormat = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Darkmode = table.Column<bool>(type: "boolean", nullable: true),
                    Language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    SessionTimeout = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    AllowedHosts = table.Column<string>(type: "text", nullable: false),
                    LastLoginAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastLoginIp = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true, collation: "C"),
                    NormalizedUserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true, collation: "C"),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true, collation: "C"),
                    NormalizedEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true, collation: "C"),
                    EmailConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    SecurityStamp = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    PhoneNumber = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    PhoneNumberConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    LockoutEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUsers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUsers_AspNetUsers_RootOwnerId",
                        column: x => x.RootOwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AspNetUsers_Roles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "Roles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InventoryRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SystemId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false, collation: "C"),
                    Timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DataHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    DataSize = table.Column<long>(type: "bigint", nullable: false),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    HasChanges = table.Column<bool>(type: "boolean", nullable: false),
                    ChangeCount = table.Column<int>(type: "integer", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    Failed = table.Column<bool>(type: "boolean", nullable: false),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InventoryRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InventoryRecords_InventoryBlobs_DataHash",
                        column: x => x.DataHash,
                        principalTable: "InventoryBlobs",
                        principalColumn: "Hash",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_InventoryRecords_Systems_SystemId",
                        column: x => x.SystemId,
                        principalTable: "Systems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ApiTokens",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    AllowedHosts = table.Column<string>(type: "text", nullable: false),
                    LastUsed = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ImpersonatingUserId = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiTokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApiTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ClaimValue = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUserClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ProviderKey = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ProviderDisplayName = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    UserId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_AspNetUserLogins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    LoginProvider = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Value = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_AspNetUserTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Brands",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Domain = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    OwnerTreePath = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false, collation: "C"),
                    IsDefault = table.Column<bool>(type: "boolean", nullable: false),
                    Settings = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Logos = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Brands", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Brands_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Servers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Hostname = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    Servername = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    OwnerTreePath = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Os = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    ServerType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    SuspendedUserIds = table.Column<string>(type: "text", nullable: false),
                    SuspendPowerAction = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true, collation: "C"),
                    SuspendNetworkPortAction = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true, collation: "C"),
                    PrimaryIp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Servers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Servers_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SshKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    PublicKey = table.Column<string>(type: "character varying(16384)", maxLength: 16384, nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    KeyType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Bits = table.Column<int>(type: "integer", nullable: false),
                    Fingerprint = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SshKeys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SshKeys_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SsoTokens",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Endpoint = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false, collation: "C"),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedByUserId = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SsoTokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SsoTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Subnets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ParentId = table.Column<int>(type: "integer", nullable: true),
                    Network = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Cidr = table.Column<int>(type: "integer", nullable: false),
                    Type = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false, collation: "C"),
                    StartKey = table.Column<string>(type: "character varying(33)", maxLength: 33, nullable: false, collation: "C"),
                    EndKey = table.Column<string>(type: "character varying(33)", maxLength: 33, nullable: false, collation: "C"),
                    Gateway = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    OwnerTreePath = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Priority = table.Column<int>(type: "integer", nullable: true),
                    OfferIfServerHasTag = table.Column<string>(type: "text", nullable: false),
                    DontOfferIfServerHasTag = table.Column<string>(type: "text", nullable: false),
                    OnlyIfServerHasRemoteAgents = table.Column<string>(type: "text", nullable: false),
                    ApplyRestrictionsToChilds = table.Column<bool>(type: "boolean", nullable: false),
                    DnsResolvers = table.Column<string>(type: "text", nullable: false),
                    EnableSwitchAutomation = table.Column<bool>(type: "boolean", nullable: true),
                    CopyNetworkAutomationConfigurationToChilds = table.Column<bool>(type: "boolean", nullable: true),
                    VlanMode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true, collation: "C"),
                    AccessVlanGenerationMode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true, collation: "C"),
                    StaticAccessVlanId = table.Column<int>(type: "integer", nullable: true),
                    RangeStartAccessVlanId = table.Column<int>(type: "integer", nullable: true),
                    RangeEndAccessVlanId = table.Column<int>(type: "integer", nullable: true),
                    TrunkVlans = table.Column<string>(type: "text", nullable: false),
                    VlanLayer3Mode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true, collation: "C"),
                    VlanLayer3Ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    ReuseAccessVlan = table.Column<bool>(type: "boolean", nullable: true),
                    UseExistingPortAccessVlan = table.Column<bool>(type: "boolean", nullable: true),
                    VlanRemoveLayer3IpOnUnassign = table.Column<bool>(type: "boolean", nullable: true),
                    ExcludeFromDynamicIpAssignments = table.Column<bool>(type: "boolean", nullable: true),
                    RdnsServerId = table.Column<int>(type: "integer", nullable: true),
                    AssignedServerId = table.Column<int>(type: "integer", nullable: true),
                    Reserved = table.Column<bool>(type: "boolean", nullable: false),
                    UsedCount = table.Column<long>(type: "bigint", nullable: false),
                    ReservedCount = table.Column<long>(type: "bigint", nullable: false),
                    ChildSpan = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false, collation: "C"),
                    DirectChildCount = table.Column<int>(type: "integer", nullable: false),
                    FreeFromKey = table.Column<string>(type: "character varying(33)", maxLength: 33, nullable: true, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Subnets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Subnets_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Subnets_Subnets_ParentId",
                        column: x => x.ParentId,
                        principalTable: "Subnets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InventoryDiffs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SystemId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false, collation: "C"),
                    InventoryId = table.Column<long>(type: "bigint", nullable: true),
                    PreviousInventoryId = table.Column<long>(type: "bigint", nullable: true),
                    FieldPath = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false, collation: "C"),
                    PreviousValue = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    CurrentValue = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    DiffType = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false, collation: "C"),
                    Category = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, collation: "C"),
                    Severity = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InventoryDiffs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InventoryDiffs_InventoryRecords_InventoryId",
                        column: x => x.InventoryId,
                        principalTable: "InventoryRecords",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_InventoryDiffs_Systems_SystemId",
                        column: x => x.SystemId,
                        principalTable: "Systems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HardwareReports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ServerId = table.Column<int>(type: "integer", nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HardwareReports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HardwareReports_Servers_ServerId",
                        column: x => x.ServerId,
                        principalTable: "Servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HardwareTokens",
                columns: table => new
                {
                    ServerId = table.Column<int>(type: "integer", nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HardwareTokens", x => x.ServerId);
                    table.ForeignKey(
                        name: "FK_HardwareTokens_Servers_ServerId",
                        column: x => x.ServerId,
                        principalTable: "Servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Installations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ServerId = table.Column<int>(type: "integer", nullable: false),
                    ProfileId = table.Column<int>(type: "integer", nullable: false),
                    DiskLayoutId = table.Column<int>(type: "integer", nullable: true),
                    ScriptIds = table.Column<string>(type: "text", nullable: false),
                    Hostname = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    SshKeys = table.Column<string>(type: "text", nullable: false),
                    RootPasswordHash = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false, collation: "C"),
                    UserDiskLayout = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ConfigureAllIpv4 = table.Column<bool>(type: "boolean", nullable: false),
                    ConfigureAllIpv6 = table.Column<bool>(type: "boolean", nullable: false),
                    PowerAction = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, collation: "C"),
                    Token = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Step = table.Column<int>(type: "integer", nullable: false),
                    Progress = table.Column<string>(type: "text", nullable: false),
                    StartedByUserId = table.Column<int>(type: "integer", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Installations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Installations_Servers_ServerId",
                        column: x => x.ServerId,
                        principalTable: "Servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ServerAssignments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ServerId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    AssignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServerAssignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServerAssignments_Servers_ServerId",
                        column: x => x.ServerId,
                        principalTable: "Servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ServerComments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ServerId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    Comment = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Sticky = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServerComments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServerComments_Servers_ServerId",
                        column: x => x.ServerId,
                        principalTable: "Servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ServerConnections",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ServerId = table.Column<int>(type: "integer", nullable: false),
                    AgentId = table.Column<int>(type: "integer", nullable: false),
                    Type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, collation: "C"),
                    Types = table.Column<string>(type: "text", nullable: false),
                    Meta = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServerConnections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServerConnections_Servers_ServerId",
                        column: x => x.ServerId,
                        principalTable: "Servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ServerInventoryItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ServerId = table.Column<int>(type: "integer", nullable: false),
                    ComponentId = table.Column<int>(type: "integer", nullable: false),
                    Model = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    Value = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    Amount = table.Column<long>(type: "bigint", nullable: true),
                    Serial = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C"),
                    CustomFields = table.Column<string>(type: "text", nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServerInventoryItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServerInventoryItems_InventoryComponents_ComponentId",
                        column: x => x.ComponentId,
                        principalTable: "InventoryComponents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServerInventoryItems_Servers_ServerId",
                        column: x => x.ServerId,
                        principalTable: "Servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ServerTags",
                columns: table => new
                {
                    ServerId = table.Column<int>(type: "integer", nullable: false),
                    Tag = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServerTags", x => new { x.ServerId, x.Tag });
                    table.ForeignKey(
                        name: "FK_ServerTags_Servers_ServerId",
                        column: x => x.ServerId,
                        principalTable: "Servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IpAddresses",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SubnetId = table.Column<int>(type: "integer", nullable: false),
                    Key = table.Column<string>(type: "character varying(33)", maxLength: 33, nullable: false, collation: "C"),
                    Address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Reserved = table.Column<bool>(type: "boolean", nullable: false),
                    ServerId = table.Column<int>(type: "integer", nullable: true),
                    IsPrimary = table.Column<bool>(type: "boolean", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Rdns = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    Listed = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IpAddresses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IpAddresses_Servers_ServerId",
                        column: x => x.ServerId,
                        principalTable: "Servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_IpAddresses_Subnets_SubnetId",
                        column: x => x.SubnetId,
                        principalTable: "Subnets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "Roles",
                columns: new[] { "Id", "CreatedAt", "IsAliasRole", "Kind", "Level", "Name", "NotAssignable", "NotDeleteable", "OwnerUserId", "PermissionSets", "Permissions", "ServersIndexDisablePermissionChecks", "UpdatedAt" },
                values: new object[,]
                {
                    { 1, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), false, "user_created", "admin", "admin", false, true, null, "[]", "[]", false, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { 2, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), false, "user_created", "reseller", "reseller", false, true, null, "[]", "[]", false, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { 3, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), false, "user_created", "user", "user", false, true, null, "[]", "[]", false, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { 4, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), false, "reseller_template", "reseller", "Default Subreseller Template Role For Resellers", true, true, null, "[]", "[]", false, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) },
                    { 5, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), false, "user_template", "user", "Default User Role Template For Resellers", true, true, null, "[]", "[]", false, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) }
                });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLogs_CreatedAt",
                table: "ActivityLogs",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLogs_RootType_RootId",
                table: "ActivityLogs",
                columns: new[] { "RootType", "RootId" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLogs_UserId_CreatedAt",
                table: "ActivityLogs",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiRequestLogs_CreatedAt",
                table: "ApiRequestLogs",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ApiRequestLogs_UserId_CreatedAt",
                table: "ApiRequestLogs",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiTokens_TokenHash",
                table: "ApiTokens",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiTokens_UserId",
                table: "ApiTokens",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserClaims_UserId",
                table: "AspNetUserClaims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserLogins_UserId",
                table: "AspNetUserLogins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_RoleId",
                table: "AspNetUsers",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_RootOwnerId",
                table: "AspNetUsers",
                column: "RootOwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_SharedUserId",
                table: "AspNetUsers",
                column: "SharedUserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_TreePath",
                table: "AspNetUsers",
                column: "TreePath");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BackupTasks_CreatedAt",
                table: "BackupTasks",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_BackupTasks_Status",
                table: "BackupTasks",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_Brands_Domain",
                table: "Brands",
                column: "Domain",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Brands_OwnerTreePath",
                table: "Brands",
                column: "OwnerTreePath");

            migrationBuilder.CreateIndex(
                name: "IX_Brands_UserId",
                table: "Brands",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_Files_OwnerType_OwnerId",
                table: "Files",
                columns: new[] { "OwnerType", "OwnerId" });

            migrationBuilder.CreateIndex(
                name: "IX_Files_ServerId",
                table: "Files",
                column: "ServerId");

            migrationBuilder.CreateIndex(
                name: "IX_HardwareReports_ProcessedAt_Id",
                table: "HardwareReports",
                columns: new[] { "ProcessedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_HardwareReports_ServerId",
                table: "HardwareReports",
                column: "ServerId");

            migrationBuilder.CreateIndex(
                name: "IX_HardwareTokens_TokenHash",
                table: "HardwareTokens",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Installations_ServerId_Id",
                table: "Installations",
                columns: new[] { "ServerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Installations_Token",
                table: "Installations",
                column: "Token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InventoryDiffs_InventoryId",
                table: "InventoryDiffs",
                column: "InventoryId");

            migrationBuilder.CreateIndex(
                name: "IX_InventoryDiffs_SystemId_Id",
                table: "InventoryDiffs",
                columns: new[] { "SystemId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_InventoryRecords_DataHash",
                table: "InventoryRecords",
                column: "DataHash");

            migrationBuilder.CreateIndex(
                name: "IX_InventoryRecords_ProcessedAt_Id",
                table: "InventoryRecords",
                columns: new[] { "ProcessedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_InventoryRecords_SystemId_Id",
                table: "InventoryRecords",
                columns: new[] { "SystemId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_IpAddresses_Key",
                table: "IpAddresses",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IpAddresses_ServerId",
                table: "IpAddresses",
                column: "ServerId");

            migrationBuilder.CreateIndex(
                name: "IX_IpAddresses_SubnetId_Key_Reserved_ServerId",
                table: "IpAddresses",
                columns: new[] { "SubnetId", "Key", "Reserved", "ServerId" });

            migrationBuilder.CreateIndex(
                name: "IX_LoginAttempts_CreatedAt",
                table: "LoginAttempts",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_LoginAttempts_UserId_CreatedAt",
                table: "LoginAttempts",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PxeItems_Kind_Name",
                table: "PxeItems",
                columns: new[] { "Kind", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Roles_OwnerUserId",
                table: "Roles",
                column: "OwnerUserId");

            migrationBuilder.CreateIndex(
                name: "IX_ServerAssignments_ServerId_UserId",
                table: "ServerAssignments",
                columns: new[] { "ServerId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ServerComments_ServerId",
                table: "ServerComments",
                column: "ServerId");

            migrationBuilder.CreateIndex(
                name: "IX_ServerConnections_ServerId",
                table: "ServerConnections",
                column: "ServerId");

            migrationBuilder.CreateIndex(
                name: "IX_ServerInventoryItems_ComponentId_Model",
                table: "ServerInventoryItems",
                columns: new[] { "ComponentId", "Model" });

            migrationBuilder.CreateIndex(
                name: "IX_ServerInventoryItems_ServerId_ComponentId",
                table: "ServerInventoryItems",
                columns: new[] { "ServerId", "ComponentId" });

            migrationBuilder.CreateIndex(
                name: "IX_Servers_Hostname",
                table: "Servers",
                column: "Hostname");

            migrationBuilder.CreateIndex(
                name: "IX_Servers_OwnerTreePath",
                table: "Servers",
                column: "OwnerTreePath");

            migrationBuilder.CreateIndex(
                name: "IX_Servers_PrimaryIp",
                table: "Servers",
                column: "PrimaryIp");

            migrationBuilder.CreateIndex(
                name: "IX_Servers_Servername",
                table: "Servers",
                column: "Servername");

            migrationBuilder.CreateIndex(
                name: "IX_Servers_UserId",
                table: "Servers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_ServerTags_Tag",
                table: "ServerTags",
                column: "Tag");

            migrationBuilder.CreateIndex(
                name: "IX_SshKeys_UserId",
                table: "SshKeys",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_SsoTokens_ExpiresAt",
                table: "SsoTokens",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_SsoTokens_TokenHash",
                table: "SsoTokens",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SsoTokens_UserId",
                table: "SsoTokens",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_AssignedServerId",
                table: "Subnets",
                column: "AssignedServerId");

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_OwnerTreePath",
                table: "Subnets",
                column: "OwnerTreePath");

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_ParentId_StartKey",
                table: "Subnets",
                columns: new[] { "ParentId", "StartKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_Type_StartKey_Cidr",
                table: "Subnets",
                columns: new[] { "Type", "StartKey", "Cidr" });

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_UserId",
                table: "Subnets",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_Systems_Name",
                table: "Systems",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_Systems_OwnerTreePath",
                table: "Systems",
                column: "OwnerTreePath");

            migrationBuilder.CreateIndex(
                name: "IX_Systems_SystemKey",
                table: "Systems",
                column: "SystemKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActivityLogs");

            migrationBuilder.DropTable(
                name: "ApiRequestLogs");

            migrationBuilder.DropTable(
                name: "ApiTokens");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "BackupStorages");

            migrationBuilder.DropTable(
                name: "BackupTasks");

            migrationBuilder.DropTable(
                name: "Brands");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "Files");

            migrationBuilder.DropTable(
                name: "HardwareReports");

            migrationBuilder.DropTable(
                name: "HardwareTokens");

            migrationBuilder.DropTable(
                name: "Installations");

            migrationBuilder.DropTable(
                name: "InventoryCustomFields");

            migrationBuilder.DropTable(
                name: "InventoryDiffs");

            migrationBuilder.DropTable(
                name: "InventoryInbox");

            migrationBuilder.DropTable(
                name: "IpAddresses");

            migrationBuilder.DropTable(
                name: "LoginAttempts");

            migrationBuilder.DropTable(
                name: "PxeItems");

            migrationBuilder.DropTable(
                name: "ServerAssignments");

            migrationBuilder.DropTable(
                name: "ServerComments");

            migrationBuilder.DropTable(
                name: "ServerConnections");

            migrationBuilder.DropTable(
                name: "ServerInventoryItems");

            migrationBuilder.DropTable(
                name: "ServerTags");

            migrationBuilder.DropTable(
                name: "SshKeys");

            migrationBuilder.DropTable(
                name: "SsoTokens");

            migrationBuilder.DropTable(
                name: "InventoryRecords");

            migrationBuilder.DropTable(
                name: "Subnets");

            migrationBuilder.DropTable(
                name: "InventoryComponents");

            migrationBuilder.DropTable(
                name: "Servers");

            migrationBuilder.DropTable(
                name: "InventoryBlobs");

            migrationBuilder.DropTable(
                name: "Systems");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "Roles");
        }
    }
}
