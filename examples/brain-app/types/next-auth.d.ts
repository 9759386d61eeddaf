import { DefaultSession } from "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    access_token?: string;
    user: {
      tenant_id?: string;
    } & DefaultSession["user"];
  }

  interface User {
    access_token?: string;
    tenant_id?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    access_token?: string;
    tenant_id?: string;
  }
}
