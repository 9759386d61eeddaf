import NextAuth, { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";

const BRAIN_API_URL = process.env.BRAIN_API_URL || "http://localhost:8000";

interface LoginResponse {
  access_token: string;
  user: {
    id: number;
    name: string;
    email: string;
    tenant_id: string;
  };
}

export const authOptions: NextAuthOptions = {
  session: {
    strategy: "jwt",
  },
  pages: {
    signIn: "/login",
  },
  providers: [
    CredentialsProvider({
      name: "Brain",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials) {
        if (!credentials?.email || !credentials?.password) {
          return null;
        }

        try {
          const response = await fetch(`${BRAIN_API_URL}/api/auth/login/`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({
              email: credentials.email,
              password: credentials.password,
            }),
          });

          if (!response.ok) {
            return null;
          }

          const data: LoginResponse = await response.json();

          return {
            id: String(data.user.id),
            name: data.user.name,
            email: data.user.email,
            access_token: data.access_token,
            tenant_id: data.user.tenant_id,
          };
        } catch (error) {
          console.error("Brain login failed:", error);
          return null;
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.access_token = user.access_token;
        token.tenant_id = user.tenant_id;
      }
      return token;
    },
    async session({ session, token }) {
      session.access_token = token.access_token;
      if (session.user) {
        session.user.tenant_id = token.tenant_id;
      }
      return session;
    },
  },
};

const handler = NextAuth(authOptions);

export { handler as GET, handler as POST };
