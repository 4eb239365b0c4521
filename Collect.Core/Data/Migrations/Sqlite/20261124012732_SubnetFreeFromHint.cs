using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Collect.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SubnetFreeFromHint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Subnets_ParentId",
                table: "Subnets");

            migrationBuilder.DropIndex(
                name: "IX_Subnets_Type_StartKey",
                table: "Subnets");

            migrationBuilder.AddColumn<string>(
                name: "FreeFromKey",
                table: "Subnets",
                type: "TEXT",
                maxLength: 33,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_ParentId_StartKey",
                table: "Subnets",
                columns: new[] { "ParentId", "StartKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_Type_StartKey_Cidr",
                table: "Subnets",
                columns: new[] { "Type", "StartKey", "Cidr" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Subnets_ParentId_StartKey",
                table: "Subnets");

            migrationBuilder.DropIndex(
                name: "IX_Subnets_Type_StartKey_Cidr",
                table: "Subnets");

            migrationBuilder.DropColumn(
                name: "FreeFromKey",
                table: "Subnets");

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_ParentId",
                table: "Subnets",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_Type_StartKey",
                table: "Subnets",
                columns: new[] { "Type", "StartKey" });
        }
    }
}
