using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Collect.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Systems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "InventoryBlobs",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Data = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InventoryBlobs", x => x.Hash);
                });

            migrationBuilder.CreateTable(
                name: "Systems",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Fqdn = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Ipv4Address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Ipv6Address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LastSeen = table.Column<long>(type: "INTEGER", nullable: true),
                    LastHeartbeat = table.Column<long>(type: "INTEGER", nullable: true),
                    CustomData = table.Column<string>(type: "TEXT", nullable: false),
                    SystemKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SecretHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SecretHint = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    CreatedByUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    OwnerUserId = table.Column<int>(type: "INTEGER", nullable: false),
                    OwnerTreePath = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Systems", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InventoryRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SystemId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    Timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    DataHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DataSize = table.Column<long>(type: "INTEGER", nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HasChanges = table.Column<bool>(type: "INTEGER", nullable: false),
                    ChangeCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    Failed = table.Column<bool>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                name: "InventoryDiffs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SystemId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    InventoryId = table.Column<long>(type: "INTEGER", nullable: true),
                    PreviousInventoryId = table.Column<long>(type: "INTEGER", nullable: true),
                    FieldPath = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    PreviousValue = table.Column<string>(type: "TEXT", nullable: true),
                    CurrentValue = table.Column<string>(type: "TEXT", nullable: true),
                    DiffType = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                name: "InventoryDiffs");

            migrationBuilder.DropTable(
                name: "InventoryRecords");

            migrationBuilder.DropTable(
                name: "InventoryBlobs");

            migrationBuilder.DropTable(
                name: "Systems");
        }
    }
}
