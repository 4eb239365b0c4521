using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Collect.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SubnetReservedAndListed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Reserved",
                table: "Subnets",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "Listed",
                table: "IpAddresses",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_AssignedServerId",
                table: "Subnets",
                column: "AssignedServerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Subnets_AssignedServerId",
                table: "Subnets");

            migrationBuilder.DropColumn(
                name: "Reserved",
                table: "Subnets");

            migrationBuilder.DropColumn(
                name: "Listed",
                table: "IpAddresses");
        }
    }
}
