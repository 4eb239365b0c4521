using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Collect.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ConfigItems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConfigRelationshipTypes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfigRelationshipTypes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ConfigTypes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true, collation: "C"),
                    FieldsJson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfigTypes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SystemSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Setting = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false, collation: "C"),
                    Value = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SystemSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ConfigItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    ConfigTypeId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    OwnerTreePath = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false, collation: "C"),
                    Description = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: true, collation: "C"),
                    NotifyWatchlisted = table.Column<bool>(type: "boolean", nullable: false),
                    TypeFieldsJson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    AdditionalFieldsJson = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfigItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConfigItems_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ConfigItems_ConfigTypes_ConfigTypeId",
                        column: x => x.ConfigTypeId,
                        principalTable: "ConfigTypes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ConfigItemWatchers",
                columns: table => new
                {
                    ConfigItemId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfigItemWatchers", x => new { x.ConfigItemId, x.UserId });
                    table.ForeignKey(
                        name: "FK_ConfigItemWatchers_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ConfigItemWatchers_ConfigItems_ConfigItemId",
                        column: x => x.ConfigItemId,
                        principalTable: "ConfigItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ConfigRelationships",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConfigItemId = table.Column<int>(type: "integer", nullable: false),
                    RelationshipTypeId = table.Column<int>(type: "integer", nullable: false),
                    OtherConfigItemId = table.Column<int>(type: "integer", nullable: true),
                    ServerId = table.Column<int>(type: "integer", nullable: true),
                    SystemId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfigRelationships", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConfigRelationships_ConfigItems_ConfigItemId",
                        column: x => x.ConfigItemId,
                        principalTable: "ConfigItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ConfigRelationships_ConfigItems_OtherConfigItemId",
                        column: x => x.OtherConfigItemId,
                        principalTable: "ConfigItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ConfigRelationships_ConfigRelationshipTypes_RelationshipTyp~",
                        column: x => x.RelationshipTypeId,
                        principalTable: "ConfigRelationshipTypes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ConfigRelationships_Servers_ServerId",
                        column: x => x.ServerId,
                        principalTable: "Servers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ConfigRelationships_Systems_SystemId",
                        column: x => x.SystemId,
                        principalTable: "Systems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConfigItems_ConfigTypeId_Name",
                table: "ConfigItems",
                columns: new[] { "ConfigTypeId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_ConfigItems_OwnerTreePath",
                table: "ConfigItems",
                column: "OwnerTreePath");

            migrationBuilder.CreateIndex(
                name: "IX_ConfigItems_UserId",
                table: "ConfigItems",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_ConfigItemWatchers_UserId",
                table: "ConfigItemWatchers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_ConfigRelationships_ConfigItemId",
                table: "ConfigRelationships",
                column: "ConfigItemId");

            migrationBuilder.CreateIndex(
                name: "IX_ConfigRelationships_OtherConfigItemId",
                table: "ConfigRelationships",
                column: "OtherConfigItemId");

            migrationBuilder.CreateIndex(
                name: "IX_ConfigRelationships_RelationshipTypeId",
                table: "ConfigRelationships",
                column: "RelationshipTypeId");

            migrationBuilder.CreateIndex(
                name: "IX_ConfigRelationships_ServerId",
                table: "ConfigRelationships",
                column: "ServerId");

            migrationBuilder.CreateIndex(
                name: "IX_ConfigRelationships_SystemId",
                table: "ConfigRelationships",
                column: "SystemId");

            migrationBuilder.CreateIndex(
                name: "IX_ConfigRelationshipTypes_Name",
                table: "ConfigRelationshipTypes",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConfigTypes_Name",
                table: "ConfigTypes",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SystemSettings_Setting",
                table: "SystemSettings",
                column: "Setting",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConfigItemWatchers");

            migrationBuilder.DropTable(
                name: "ConfigRelationships");

            migrationBuilder.DropTable(
                name: "SystemSettings");

            migrationBuilder.DropTable(
                name: "ConfigItems");

            migrationBuilder.DropTable(
                name: "ConfigRelationshipTypes");

            migrationBuilder.DropTable(
                name: "ConfigTypes");
        }
    }
}
