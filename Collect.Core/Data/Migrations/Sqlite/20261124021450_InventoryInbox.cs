using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Collect.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InventoryInbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "InventoryInbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SystemId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Body = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InventoryInbox", x => x.Id);
                });

            // An upload's id becomes its record's id, so the inbox's ids start above every record already stored.
            migrationBuilder.Sql("""
                INSERT INTO sqlite_sequence (name, seq)
                SELECT 'InventoryInbox', COALESCE((SELECT MAX("Id") FROM "InventoryRecords"), 0);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InventoryInbox");
        }
    }
}
