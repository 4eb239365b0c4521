using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Collect.Core.Data.Migrations.Sqlite
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
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfigRelationshipTypes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ConfigTypes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    FieldsJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfigTypes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SystemSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Setting = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SystemSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ConfigItems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ConfigTypeId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    OwnerTreePath = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: true),
                    NotifyWatchlisted = table.Column<bool>(type: "INTEGER", nullable: false),
                    TypeFieldsJson = table.Column<string>(type: "TEXT", nullable: false),
                    AdditionalFieldsJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    ConfigItemId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConfigItemId = table.Column<int>(type: "INTEGER", nullable: false),
                    RelationshipTypeId = table.Column<int>(type: "INTEGER", nullable: false),
                    OtherConfigItemId = table.Column<int>(type: "INTEGER", nullable: true),
                    ServerId = table.Column<int>(type: "INTEGER", nullable: true),
                    SystemId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: true)
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
                        name: "FK_ConfigRelationships_ConfigRelationshipTypes_RelationshipTypeId",
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
