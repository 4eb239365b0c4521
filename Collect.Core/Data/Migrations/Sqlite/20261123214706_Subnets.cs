using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Collect.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Subnets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Subnets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ParentId = table.Column<int>(type: "INTEGER", nullable: true),
                    Network = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Cidr = table.Column<int>(type: "INTEGER", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    StartKey = table.Column<string>(type: "TEXT", maxLength: 33, nullable: false),
                    EndKey = table.Column<string>(type: "TEXT", maxLength: 33, nullable: false),
                    Gateway = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    OwnerTreePath = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    Priority = table.Column<int>(type: "INTEGER", nullable: true),
                    OfferIfServerHasTag = table.Column<string>(type: "TEXT", nullable: false),
                    DontOfferIfServerHasTag = table.Column<string>(type: "TEXT", nullable: false),
                    OnlyIfServerHasRemoteAgents = table.Column<string>(type: "TEXT", nullable: false),
                    ApplyRestrictionsToChilds = table.Column<bool>(type: "INTEGER", nullable: false),
                    DnsResolvers = table.Column<string>(type: "TEXT", nullable: false),
                    EnableSwitchAutomation = table.Column<bool>(type: "INTEGER", nullable: true),
                    CopyNetworkAutomationConfigurationToChilds = table.Column<bool>(type: "INTEGER", nullable: true),
                    VlanMode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    AccessVlanGenerationMode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    StaticAccessVlanId = table.Column<int>(type: "INTEGER", nullable: true),
                    RangeStartAccessVlanId = table.Column<int>(type: "INTEGER", nullable: true),
                    RangeEndAccessVlanId = table.Column<int>(type: "INTEGER", nullable: true),
                    TrunkVlans = table.Column<string>(type: "TEXT", nullable: false),
                    VlanLayer3Mode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    VlanLayer3Ip = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReuseAccessVlan = table.Column<bool>(type: "INTEGER", nullable: true),
                    UseExistingPortAccessVlan = table.Column<bool>(type: "INTEGER", nullable: true),
                    VlanRemoveLayer3IpOnUnassign = table.Column<bool>(type: "INTEGER", nullable: true),
                    ExcludeFromDynamicIpAssignments = table.Column<bool>(type: "INTEGER", nullable: true),
                    RdnsServerId = table.Column<int>(type: "INTEGER", nullable: true),
                    AssignedServerId = table.Column<int>(type: "INTEGER", nullable: true),
                    UsedCount = table.Column<long>(type: "INTEGER", nullable: false),
                    ReservedCount = table.Column<long>(type: "INTEGER", nullable: false),
                    ChildSpan = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DirectChildCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                name: "IpAddresses",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SubnetId = table.Column<int>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 33, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reserved = table.Column<bool>(type: "INTEGER", nullable: false),
                    ServerId = table.Column<int>(type: "INTEGER", nullable: true),
                    IsPrimary = table.Column<bool>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    Rdns = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                name: "IX_IpAddresses_SubnetId_Key",
                table: "IpAddresses",
                columns: new[] { "SubnetId", "Key" });

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_OwnerTreePath",
                table: "Subnets",
                column: "OwnerTreePath");

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_ParentId",
                table: "Subnets",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_Type_StartKey",
                table: "Subnets",
                columns: new[] { "Type", "StartKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Subnets_UserId",
                table: "Subnets",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IpAddresses");

            migrationBuilder.DropTable(
                name: "Subnets");
        }
    }
}
